package cli

// stderrANSI says whether the terminal on stderr takes ANSI escape
// sequences (colours, clearing the progress line). Only an old Windows
// console does not; setupConsole finds out.
var stderrANSI = true

// vtProcessing is ENABLE_VIRTUAL_TERMINAL_PROCESSING of a Windows console.
const vtProcessing = 0x0004

// consoleTakesANSI decides from a Windows console's mode before exscan
// changed it, and the error of asking for ANSI sequences, whether the
// console now takes them: it did already, or the request was accepted.
// Consoles before Windows 10 refuse the request.
func consoleTakesANSI(mode uint32, setErr error) bool {
	return mode&vtProcessing != 0 || setErr == nil
}
