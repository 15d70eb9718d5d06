// Package rules holds exscan's built-in YARA and Sigma rules and the code
// that loads them, together with the user's, into compiled rule sets.
package rules

import "embed"

// Builtin holds the embedded rule files: yara/*.yar and sigma/*.yml.
//
//go:embed yara sigma
var Builtin embed.FS
