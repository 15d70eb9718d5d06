package cli

import (
	"errors"
	"testing"
)

func TestConsoleTakesANSI(t *testing.T) {
	refused := errors.New("The parameter is incorrect.")
	for _, c := range []struct {
		mode uint32
		err  error
		want bool
	}{
		{0x3, nil, true},                    // Windows 10 and later: the request is accepted
		{0x3 | vtProcessing, nil, true},     // already on (Windows Terminal)
		{0x3, refused, false},               // Server 2012 R2's console refuses it
		{0x3 | vtProcessing, refused, true}, // already on, nothing to ask
	} {
		if got := consoleTakesANSI(c.mode, c.err); got != c.want {
			t.Errorf("mode %#x, err %v: %v, want %v", c.mode, c.err, got, c.want)
		}
	}
}
