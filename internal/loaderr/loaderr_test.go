package loaderr

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestErrorString(t *testing.T) {
	for _, c := range []struct {
		e    *Error
		want string
	}{
		{New("a.txt", 3, "bad %s", "score"), "a.txt:3: bad score"},
		{New("a.txt", 0, "unreadable"), "a.txt: unreadable"},
		{&Error{File: "r.yml", Line: 7, Rule: `say "hi"`, Err: errors.New("no condition")}, `r.yml:7: rule "say \"hi\"": no condition`},
		{&Error{File: "r.yml", Rule: "x", Err: errors.New("e")}, `r.yml: rule "x": e`},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
}

func TestUnwrap(t *testing.T) {
	var err error = &Error{File: "x", Err: fs.ErrNotExist}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is does not see the cause")
	}
	var le *Error
	if !errors.As(err, &le) || le.File != "x" {
		t.Error("errors.As does not find the Error")
	}
}

func TestStrict(t *testing.T) {
	if err := Strict(nil); err != nil {
		t.Errorf("no errors: %v", err)
	}
	err := Strict([]error{New("a", 1, "x"), New("b", 0, "y")})
	if err == nil || !strings.Contains(err.Error(), "2 ") || !strings.Contains(err.Error(), "--strict") {
		t.Errorf("two errors: %v", err)
	}
}
