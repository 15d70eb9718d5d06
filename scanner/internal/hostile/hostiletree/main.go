// Command hostiletree builds the portable hostile tree (see
// hostile.Options.Portable) under a folder and prints the paths of the
// webshells planted in it, relative to that folder. make windows-check
// scans it with the Linux build and with the Windows build under wine.
//
//	go run ./scanner/internal/hostile/hostiletree DIR
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"exscan/scanner/internal/hostile"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: hostiletree DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	ex, err := hostile.Build(dir, hostile.Options{ManyFiles: 3000, SparseSize: 10 << 30, Portable: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostiletree:", err)
		os.Exit(1)
	}
	ex.Close()
	for _, p := range ex.Planted {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			rel = p
		}
		fmt.Printf("%q\n", rel)
	}
}
