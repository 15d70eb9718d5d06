//go:build windows

package cli

import (
	"context"

	"golang.org/x/sys/windows/svc"
)

// runService runs watch as a Windows service when the service control
// manager started exscan (sc.exe create ... binPath= "exscan.exe watch
// ..."): a stop or shutdown request ends watch the way Ctrl+C does (the
// file at hand finished, the output written, the state saved). It returns
// false when exscan is not running as a service.
func runService(run func(ctx context.Context) int) (code int, ok bool) {
	if is, err := svc.IsWindowsService(); err != nil || !is {
		return 0, false
	}
	h := &watchService{run: run}
	if err := svc.Run("exscan", h); err != nil {
		return ExitError, true
	}
	return h.code, true
}

// watchService is the service handler around one watch run.
type watchService struct {
	run  func(ctx context.Context) int
	code int
}

func (s *watchService) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	status <- svc.Status{State: svc.StartPending}
	done := make(chan int, 1)
	go func() { done <- s.run(ctx) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending}
				cancel()
			}
		case s.code = <-done:
			status <- svc.Status{State: svc.Stopped}
			if s.code == ExitError {
				return true, uint32(s.code) // the service failed: the SCM logs the code
			}
			return false, 0 // 1 (findings reported) is a clean stop
		}
	}
}
