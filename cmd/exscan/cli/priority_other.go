//go:build !linux && !windows

package cli

import "errors"

func lowerPriority() error { return errors.New("not supported on this system yet") }
