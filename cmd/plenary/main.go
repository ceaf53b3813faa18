// Command plenary runs multistakeholder policy forums and treaty
// conferences. See the README and docs/ARCHITECTURE.md.
package main

import (
	"context"
	"os"

	"github.com/plenary-forum/plenary/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
}
