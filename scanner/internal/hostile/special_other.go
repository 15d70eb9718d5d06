//go:build !unix

package hostile

// specialFiles makes nothing where FIFOs and device nodes do not exist
// (Windows): the rest of the tree is the same.
func specialFiles(dir string, ex *Expect) error { return nil }
