// Command exscan finds signs that a Microsoft Exchange server was
// compromised through the 2021-2022 exploit chains.
package main

import (
	"os"

	"exscan/cmd/exscan/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
