// Package literal finds literal strings in log lines, paths and URLs,
// ASCII case-insensitively, and holds the ASCII case folding that goes
// with it. Sigma rules (rules), indicator patterns (iocs) and the log line
// prefilter (scanner/logcheck) all search with it, so a literal found by
// one is found the same way by the others.
//
// Folding is ASCII only: 'A'-'Z' become 'a'-'z', every other byte stays.
// Needles are given lower case (Lower); haystacks are read as they are,
// folded byte by byte, never copied.
package literal
