package finding

// Reason.Source: what kind of check a reason comes from.
const (
	SourceYARA      = "yara"      // a YARA rule on file content
	SourceSigma     = "sigma"     // a Sigma rule on a log record
	SourceIOC       = "ioc"       // an indicator list entry
	SourceHeuristic = "heuristic" // exscan's own checks (location, correlation, scoring traits)
)
