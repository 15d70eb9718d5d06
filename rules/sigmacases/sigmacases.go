// Package sigmacases (test support) reads testdata/sigma/cases.yml, the hand-written log
// lines of the built-in Sigma rules, and turns each case into the text of
// a small log file as the writer of that log would produce it. Tests of
// the rules, the line prefilter and the engine share it.
package sigmacases

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Case is one log line (or, for CSV logs, the field values it is built
// from) and the built-in rules expected to match it.
type Case struct {
	Name   string    `yaml:"name"`
	Format string    `yaml:"format"`
	Header string    `yaml:"header"`
	Line   string    `yaml:"line"`
	Fields yaml.Node `yaml:"fields"`
	Expect []string  `yaml:"expect"`
	// NearMissFor names rules this benign line is a near miss for when the
	// prefilter already drops it (a single-keyword rule has no other kind)
	NearMissFor []string `yaml:"near_miss_for"`
}

// File is the whole cases file.
type File struct {
	Headers map[string]string `yaml:"headers"`
	Cases   []*Case           `yaml:"cases"`
}

// Load reads a cases file.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}

var exchangeLogTypes = map[string]string{
	"httpproxy":  "HttpProxy Logs",
	"ecp":        "ECP Server Log",
	"rps_http":   "Rps Http Logs",
	"rps_cmdlet": "Rps Cmdlet Logs",
}

var exchangeLogNames = map[string]string{
	"httpproxy":  "V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG",
	"ecp":        "V15/Logging/ECP/Server/ECPServer20210303-1.LOG",
	"rps_http":   "V15/Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_2021030306-1.LOG",
	"rps_cmdlet": "V15/Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_2021030306-1.LOG",
}

// CSVQuote quotes a CSV value the way Exchange does when it must.
func CSVQuote(v string) string {
	if strings.ContainsAny(v, ",\"\r\n") {
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}

// LogText turns a case into the text of a small log file, as the writer
// of that log would produce it, and a file name that says where it lives.
func (c *Case) LogText(headers map[string]string) (text, name string, err error) {
	header := headers[c.Header]
	if c.Header != "" && header == "" {
		return "", "", fmt.Errorf("unknown header %q", c.Header)
	}
	switch c.Format {
	case "iis":
		return "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 00:00:00\r\n#Fields: " +
			header + "\r\n" + c.Line + "\r\n", "inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", nil
	case "httperr":
		return "#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: 2021-08-25 03:00:00\r\n#Fields: " +
			header + "\r\n" + c.Line + "\r\n", "Windows/System32/LogFiles/HTTPERR/httperr1.log", nil
	case "oab":
		return c.Line + "\r\n", "V15/Logging/OABGeneratorLog/OABGeneratorLog_2021030306-1.LOG", nil
	}
	names := strings.Split(header, ",")
	line := c.Line
	if line == "" {
		vals := make([]string, len(names))
		for i := 0; i+1 < len(c.Fields.Content); i += 2 {
			k, v := c.Fields.Content[i].Value, c.Fields.Content[i+1].Value
			j := slices.Index(names, k)
			if j < 0 {
				return "", "", fmt.Errorf("field %q is not in header %s", k, c.Header)
			}
			vals[j] = CSVQuote(v)
		}
		if vals[0] == "" {
			vals[0] = "2021-03-03T06:49:42.162Z"
		}
		line = strings.Join(vals, ",")
	}
	lt := exchangeLogTypes[c.Header]
	text = header + "\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2242.004\r\n#Log-type: " + lt +
		"\r\n#Date: 2021-03-03T06:00:00.000Z\r\n#Fields: " + header + "\r\n" + line + "\r\n"
	return text, exchangeLogNames[c.Header], nil
}

// Mutations returns variants of a W3C line that exscan must read the same
// way: upper and lower case, and the query percent-encoded once and twice
// (token 5 of the default field layout).
func Mutations(line string) []string {
	var out []string
	out = append(out, strings.ToUpper(line), strings.ToLower(line))
	enc := func(s string, double bool) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if (c >= 'a' && c <= 'z') && i%3 == 0 {
				if double {
					fmt.Fprintf(&b, "%%25%02X", c)
				} else {
					fmt.Fprintf(&b, "%%%02X", c)
				}
				continue
			}
			b.WriteByte(c)
		}
		return b.String()
	}
	toks := strings.Split(line, " ")
	if len(toks) >= 6 {
		for _, double := range []bool{false, true} {
			t2 := append([]string(nil), toks...)
			t2[5] = enc(t2[5], double)
			out = append(out, strings.Join(t2, " "))
		}
	}
	return out
}
