// Command wincheck holds the parts of make windows-check that are easier
// in Go than in shell: comparing two exscan JSON Lines reports (the Linux
// build's and the Windows build's under wine) after path normalisation.
//
//	go run ./scripts/wincheck compare LINUX_ROOT linux.jsonl WIN_ROOT windows.jsonl
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "compare":
		if len(os.Args) != 6 {
			usage()
		}
		a, err := load(os.Args[3], os.Args[2])
		if err != nil {
			fail(err)
		}
		b, err := load(os.Args[5], os.Args[4])
		if err != nil {
			fail(err)
		}
		if diffs := compare(a, b); len(diffs) > 0 {
			for _, d := range diffs {
				fmt.Fprintln(os.Stderr, d)
			}
			fmt.Fprintf(os.Stderr, "wincheck: %d difference(s) between %s (%d findings) and %s (%d findings)\n",
				len(diffs), os.Args[3], len(a), os.Args[5], len(b))
			os.Exit(1)
		}
		fmt.Printf("%d findings, identical after path normalisation\n", len(a))
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: wincheck compare LINUX_ROOT linux.jsonl WIN_ROOT windows.jsonl")
	os.Exit(2)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wincheck:", err)
	os.Exit(2)
}
