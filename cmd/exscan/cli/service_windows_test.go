//go:build windows

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/windows/svc"

	"exscan/internal/testdir"
)

// A service stop ends a real watch run cleanly: the handler reports
// StopPending, watch returns, its state is saved, and the service stops
// without an error code.
func TestWinServiceStopEndsWatch(t *testing.T) {
	dir := testdir.Temp(t)
	logs := filepath.Join(dir, "logs")
	if err := os.MkdirAll(filepath.Join(logs, "W3SVC1"), 0o755); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state")
	var stderr bytes.Buffer
	ran := make(chan struct{})
	h := &watchService{run: func(ctx context.Context) int {
		defer close(ran)
		return runWatch(ctx, []string{logs, "--state", state, "--output", filepath.Join(dir, "out.jsonl"), "--heartbeat", "0"}, &bytes.Buffer{}, &stderr)
	}}
	req := make(chan svc.ChangeRequest)
	status := make(chan svc.Status, 16)
	type result struct {
		specific bool
		code     uint32
	}
	res := make(chan result, 1)
	go func() {
		s, c := h.Execute([]string{"exscan"}, req, status)
		res <- result{s, c}
	}()
	// The state file appears once watch has started following.
	// A bound for a hung start only, far above any normal start.
	deadline := time.After(5 * time.Minute)
	for {
		if _, err := os.Stat(state); err == nil {
			break
		}
		select {
		case <-ran:
			t.Fatalf("watch ended before the stop request: %s", stderr.String())
		case <-deadline:
			t.Fatalf("watch did not start (no state file): %s", stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	req <- svc.ChangeRequest{Cmd: svc.Stop}
	r := <-res
	if r.specific || r.code != 0 {
		t.Errorf("service exit code %v/%d, want a clean stop; stderr: %s", r.specific, r.code, stderr.String())
	}
	close(status)
	var states []svc.State
	for s := range status {
		states = append(states, s.State)
	}
	want := []svc.State{svc.StartPending, svc.Running, svc.StopPending, svc.Stopped}
	if len(states) != len(want) {
		t.Fatalf("states %v, want %v", states, want)
	}
	for i := range want {
		if states[i] != want[i] {
			t.Fatalf("states %v, want %v", states, want)
		}
	}
	if !bytes.Contains(stderr.Bytes(), []byte("log line(s) read")) {
		t.Errorf("watch did not finish its run (no summary): %s", stderr.String())
	}
}
