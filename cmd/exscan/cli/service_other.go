//go:build !windows

package cli

import "context"

// runService reports false: Windows services exist on Windows only.
func runService(func(ctx context.Context) int) (int, bool) { return 0, false }
