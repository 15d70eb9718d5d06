// Package testdir gives tests a temporary folder that also works under
// wine, where the Windows build's tests run in CI.
package testdir

import (
	"os"
	"testing"
)

// Temp is t.TempDir for tests that also run under wine, whose RemoveAll
// fails ("Invalid function") and would fail t.TempDir's cleanup: what is
// left goes with wine's prefix.
func Temp(t testing.TB) string {
	t.Helper()
	d, err := os.MkdirTemp("", "exscan-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}
