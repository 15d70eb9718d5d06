// Package literal finds literal strings in log lines, paths and URLs,
// ASCII case-insensitively, and holds the ASCII case folding that goes
// with it. Sigma rules (rules), indicator patterns (iocs) and the log line
// prefilter (scanner/logcheck) all search with it, so a literal is found
// the same way by each of them.
//
//   - Automaton (built from a Set): every needle in one Aho-Corasick pass,
//     each standing for values (rule indexes); Sigma's needle index and the
//     indicators' filename and url patterns.
//   - LineSet and LineNeedle: does a raw log line hold some needle, looking
//     at a few positions only, with '+' read as a space (IIS); the line
//     prefilter.
//   - Lower, AppendLower, EqualFold, HasPrefixFold, HasSuffixFold,
//     IndexFold, ContainsFold: ASCII folding and comparison.
//
// Folding is ASCII only: 'A'-'Z' become 'a'-'z' (LineFold also reads '+'
// as ' '); every other byte stays. Needles are lower case (Lower);
// haystacks are read as they are, folded byte by byte, never copied.
package literal
