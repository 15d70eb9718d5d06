package rules

// Sigma rules for IIS and Exchange logs.
//
// Loading. The built-in rules (sigma/*.yml, embedded) come first, then each
// user directory (--sigma DIR, recursive *.yml/*.yaml; a file path is read
// as one file) in the order given. github.com/bradleyjkemp/sigma-go parses
// each YAML document; a file that is not YAML, a rule that does not parse
// or uses something exscan cannot evaluate (aggregations, correlation or
// filter documents, placeholders, unknown modifiers, a condition naming a
// search that does not exist) is reported as a *loaderr.Error with the file
// and line and skipped; the other rules load. A rule whose id is already
// taken is skipped the same way.
//
// Condition patterns. sigma-go's condition lexer rejects a wildcard after an
// identifier that ends in a digit ("all of selection_1*", used by SigmaHQ's
// ProxyShell rule). Before a condition is parsed, every "1 of X*", "any of
// X*", "all of X*", "N of X*" and "... of them" is rewritten into an
// explicit "(a or b)" / "(a and b)" over the rule's own search identifiers
// (names matched like path.Match; "them" leaves out names that start with
// "_", as the Sigma spec says), so public rules load unmodified.
//
// Rule ids. A finding's rule id is the rule's "name:" when it has one, else
// its "id:". exscan's built-in rules keep a UUID in "id:" (as SigmaHQ does)
// and put the stable exscan id, exscan.log.<family>.<name>, in "name:".
// Severity is "level:" (informational|low|medium|high|critical; medium when
// absent). Tags give the rest: cve.2021-26855 -> CVE-2021-26855,
// attack.t1505.003 -> T1505.003 (technique tags only), and
// exscan.campaign.<id> -> campaign ids; without campaign tags the campaigns
// come from the CVEs (iocs.CampaignsForCVEs).
//
// Which rules see which records (logsource -> record formats):
//
//	category: webserver (no product)           iis, httperr, w3c, httpproxy, rps
//	category: webserver, product: iis|windows  iis, httperr, w3c
//	product: iis (any category/service)        iis, httperr, w3c
//	product: exchange, service: httpproxy      httpproxy
//	product: exchange, service: ecp            ecp
//	product: exchange, service: oab|oabgenerator  oab
//	product: exchange, service: rps|cmdletinfra    rps
//	product: exchange, category: webserver     httpproxy, rps
//	product: exchange (no service)             httpproxy, ecp, rps, exchange, oab
//	product: windows, service: msexchange-management  rps (the RPS cmdlet
//	    log records the same cmdlets as the MSExchange Management event log;
//	    keyword rules work on it) and evtx
//	product: windows, service: <service> and/or category: <category>
//	                                           evtx, the records of the
//	    service's channel and the category's events (logs.FormatSpec.Serves
//	    of FormatEVTX: process_creation = Sysmon 1 and Security 4688,
//	    file_event = Sysmon 11, ps_script = PowerShell 4104, ...)
//
// Each format's spec in scanner/logs says which logsources it serves.
// Anything else (proxy, linux, cloud, ...) loads but is not applied;
// NotApplicable lists those rules.
//
// Field names. IIS records keep their W3C names; Exchange CSV records keep
// their header names (AnchorMailbox, UrlStem, RoutingHint, BackEndCookie,
// HttpStatus, ...; ECP records also S:CMD, S:URL, ...; OAB records
// Message). Every record that carries a request URL also gets Sigma's
// webserver names, filled from the native columns on Exchange logs:
//
//	cs-uri-stem     the path (IIS cs-uri-stem, Exchange UrlStem)
//	cs-uri-query    the WHOLE URI, stem + "?" + query, because public Sigma
//	                rules test paths against cs-uri-query (SigmaHQ PR #471)
//	c-uri, cs-uri   the whole URI too
//	c-uri-query     the query alone (IIS cs-uri-query, UrlQuery without "?")
//	c-uri-stem      the path
//	decoded-uri     the whole URI URL-decoded twice (%xx, %25xx, %uXXXX, and
//	                "+" as space in the query), so encodings such as
//	                ProxyNotShell's %50owershell do not hide a match
//	cs-method, sc-status, c-ip, cs-username, cs-host, s-computername
//	                from Method, HttpStatus, ClientIpAddress,
//	                AuthenticatedUser, UrlHost, ServerHostName
//	c-useragent, cs-user-agent, cs(User-Agent)
//	                the user agent; IIS writes spaces as "+", so an IIS
//	                value is tested both as logged and with "+" as space
//	cs-referer, cs-cookie, cs-host   from cs(Referer), cs(Cookie), cs(Host)
//
// A field name not found exactly is looked up case-insensitively. Keyword
// searches (a plain list, or a key of only modifiers such as '|all') match
// the raw log line or the record's values joined by spaces (CSV quoting
// would otherwise hide text such as ` -FilePath "\\` from event-log
// keyword rules).
//
// Evidence. A match's evidence is the fields the rule tested, each once,
// in rule order: those of the searches that matched and those of the
// searches it tests under "not" (e.g. the user agent an OWASSRF rule
// excludes); for keywords, the record fields that hold them (or the raw
// line). Fields are named as the log names them (cs(Cookie), UrlStem); a
// field built from the request's path and query (cs-uri-query as the whole
// URI, c-uri, decoded-uri) shows as the log's own path and query columns
// (cs-uri-stem and cs-uri-query, UrlStem and UrlQuery, or cs-uri), as
// logged. Values are copied out of the reader's buffer and kept as logged,
// attacker text included; reporters escape them. One value is cut at 8 KiB.
//
// Matching follows Sigma: case-insensitive (ASCII) unless |cased, "*" and
// "?" wildcards with "\" escapes, null for a missing or empty field,
// modifiers contains, startswith, endswith, all, re (with |i |m |s), cidr,
// gt/gte/lt/lte, exists, base64, base64offset, windash, cased.
//
// Prefilter. Every rule reduces to a set of literal needles at least one of
// which must occur for the rule to be able to match: the literal fragments
// of contains/startswith/endswith/equals values and keywords (split at "*",
// "?" and at the characters where a field can differ from the raw line:
// the "?" joining stem and query, "+" read as a space, the doubled quotes
// of CSV), the best single requirement of an AND, the union over an OR.
// One Aho-Corasick pass over the lower-cased raw line finds the needles of
// all matchers but decoded-uri ones; those are looked for in the decoded
// URI, which is short. Only rules with a needle present, and the rules
// that reduce to no needle (regex-only or negation-only), are evaluated,
// and the Sigma view of the record is built only then. This relies on the
// readers handing out field values that are substrings of Raw apart from
// CSV quote doubling; TestSigmaPrefilterNeverHides checks it on every
// fixture and on re-encoded variants.

import (
	"sync"

	"exscan/internal/literal"
)

// maxEvidence caps one evidence value; log fields can be many kilobytes of
// attacker text and a finding only needs enough to show what matched.
const maxEvidence = 8192

// minNeedle is the shortest literal worth a prefilter needle; shorter
// fragments leave the requirement open.
const minNeedle = 3

// SigmaSet is a loaded, compiled set of Sigma rules. It is read-only after
// LoadSigma and safe for concurrent Match calls.
type SigmaSet struct {
	rules   []*sigmaRule
	na      []SigmaRuleInfo
	formats formatMask // union over rules

	raw    *literal.Automaton // needles looked for in the raw line
	dec    *literal.Automaton // needles of decoded-uri matchers, looked for in the decoded URI
	always []int32            // rules with no needle requirement

	noPrefilter bool // tests: evaluate every applicable rule
	pool        sync.Pool
}

// SigmaRuleInfo describes one loaded rule, for "exscan rules list".
type SigmaRuleInfo struct {
	ID          string   `json:"id"`                 // exscan rule id: name: when set, else id:
	SigmaID     string   `json:"sigma_id,omitempty"` // the rule's id:
	Title       string   `json:"title"`
	Level       string   `json:"level"`
	Status      string   `json:"status,omitempty"`
	Author      string   `json:"author,omitempty"`
	Description string   `json:"description,omitempty"`
	File        string   `json:"file"`
	Builtin     bool     `json:"builtin"`
	Logsource   string   `json:"logsource"` // category/product/service
	Formats     []string `json:"formats"`   // record formats the rule is applied to
	CVEs        []string `json:"cves,omitempty"`
	Campaigns   []string `json:"campaigns,omitempty"`
	Attack      []string `json:"attack,omitempty"`
}

// Len is the number of rules that apply to at least one log format.
func (s *SigmaSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.rules)
}

// Rules describes the applied rules in load order (built-in first).
func (s *SigmaSet) Rules() []SigmaRuleInfo {
	if s == nil {
		return nil
	}
	out := make([]SigmaRuleInfo, len(s.rules))
	for i, r := range s.rules {
		out[i] = r.info
	}
	return out
}

// NotApplicable describes the rules that loaded but whose logsource no log
// format exscan reads fits (e.g. process_creation rules in a SigmaHQ tree).
func (s *SigmaSet) NotApplicable() []SigmaRuleInfo {
	if s == nil {
		return nil
	}
	return append([]SigmaRuleInfo(nil), s.na...)
}
