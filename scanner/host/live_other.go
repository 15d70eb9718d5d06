//go:build !windows

package host

// isLiveRoot is false where exscan does not run on the scanned host
// itself: the root is an image or collection of a Windows host.
func isLiveRoot(string) bool { return false }

func liveEnv() map[string]string { return imageEnv }

func liveInstallPaths() []string { return nil }
