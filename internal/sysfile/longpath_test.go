package sysfile

import (
	"strings"
	"testing"
)

func TestLongPath(t *testing.T) {
	long := strings.Repeat(`d\`, 130) + "f.aspx" // 266 characters
	for _, c := range []struct{ in, want string }{
		{`C:\inetpub\wwwroot\a.aspx`, `C:\inetpub\wwwroot\a.aspx`},
		{`C:\` + long, `\\?\C:\` + long},
		{`c:/` + strings.ReplaceAll(long, `\`, "/"), `\\?\c:\` + long},
		{`D:\x\..\` + long, `\\?\D:\` + long},
		{`C:\x\.\\` + long, `\\?\C:\x\` + long},
		{`C:\..\..\` + long, `\\?\C:\` + long},
		{`\\srv\share\` + long, `\\?\UNC\srv\share\` + long},
		{`\\?\C:\` + long, `\\?\C:\` + long},
		{`\\.\pipe\` + long, `\\.\pipe\` + long},
		{long, long},                             // relative: left alone
		{`C:` + long, `C:` + long},               // drive-relative: left alone
		{`\\srv\` + long, `\\?\UNC\srv\` + long}, // the share is the first step
		{`\\srv`, `\\srv`},
	} {
		if got := LongPath(c.in); got != c.want {
			t.Errorf("LongPath(%.40q...) = %.60q..., want %.60q...", c.in, got, c.want)
		}
	}
}
