package cli

import (
	"context"
	"io"
)

func runWatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return usageErr(stderr, "watch", "watch mode is not available in this build yet")
}
