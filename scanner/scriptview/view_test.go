package scriptview

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"
)

func view(name, src string) string { return string(View(name, []byte(src))) }

func TestCommentsRemoved(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"a.aspx", `<%@ Page Language="C#" %><% ev/*x*/al(Request["a"]); // tail` + "\n" + `%>`, `<%@Page Language="C#"%><%ev al(Request["a"]);%>`},
		{"a.aspx", `<% eval/*x*/(Request/**/["a"]); %>`, `<%eval(Request["a"]);%>`},
		{"a.aspx", "<%-- hidden --%><b>x</b>", "<b>x</b>"},
		{"a.asp", "<% ' comment \"x\"\nExecute Request(\"a\") %>", `<%Execute Request("a")%>`},
		{"a.asp", "<%\nREM a remark\nx = 1 %>", `<%x=1%>`},
		// A VBScript comment does not hide the end of the block.
		{"a.asp", "<% x = 1 ' note %><% y %>", `<%x=1%><%y%>`},
		// An apostrophe in page text is text, not a comment.
		{"a.asp", "<p>don't</p><% Execute(Request(\"x\")) %>", `<p>don't</p><%Execute(Request("x"))%>`},
		// // inside a string is not a comment.
		{"a.aspx", `<% Response.Write("http://x/"); %>`, `<%Response.Write("http://x/");%>`},
	}
	for _, c := range cases {
		if got := view(c.name, c.src); got != c.want {
			t.Errorf("%s %q:\n got %q\nwant %q", c.name, c.src, got, c.want)
		}
	}
}

func TestLiteralsJoined(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"a.aspx", `<% eval("e"+"v" + 'a'+"l"); %>`, `<%eval("eval");%>`},
		{"a.aspx", `<% x = "ev" /*p*/ + /*q*/ "al"; %>`, `<%x="eval";%>`},
		{"a.asp", `<% eval ""&("ev"&"a"&"l"&"("&"r"&"e"&"q"&"u"&"e"&"s"&"t"&"(0-2-5))") %>`, `<%eval""&("eval(request(0-2-5))")%>`},
		{"a.asp", "<% x = \"Exe\" & _\r\n  \"cute\" %>", `<%x="Execute"%>`},
		// A literal joined to a variable stays apart.
		{"a.asp", `<% x = "a" & b & "c" %>`, `<%x="a"&b&"c"%>`},
		// &H10 after a literal is a number, not a join.
		{"a.asp", `<% x = "a" &H10 %>`, `<%x="a"&H10%>`},
		{"a.aspx", `<% string s = @"c:\""x"; %>`, `<%string s="c:\"x";%>`},
	}
	for _, c := range cases {
		if got := view(c.name, c.src); got != c.want {
			t.Errorf("%s %q:\n got %q\nwant %q", c.name, c.src, got, c.want)
		}
	}
}

func TestChrFolded(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"a.asp", `<%eval(eval(chr(114)+chr(101)+chr(113)+chr(117)+chr(101)+chr(115)+chr(116))("x"))%>`, `<%eval(eval("request")("x"))%>`},
		{"a.asp", `<% Execute(ChrW(&H65) & Chr( 118 ) & ChrB(&O141) & "l") %>`, `<%Execute("eval")%>`},
		{"a.aspx", `<script runat="server" language="jscript">eval(String.fromCharCode(82, 101,113))</script>`, `<script runat="server" language="jscript">eval("Req")</script>`},
		// Not a constant: left alone.
		{"a.asp", `<% x = Chr(n) %>`, `<%x=Chr(n)%>`},
		// Part of a longer name: left alone.
		{"a.asp", `<% x = mychr(65) %>`, `<%x=mychr(65)%>`},
	}
	for _, c := range cases {
		if got := view(c.name, c.src); got != c.want {
			t.Errorf("%s %q:\n got %q\nwant %q", c.name, c.src, got, c.want)
		}
	}
}

func TestEscapesDecoded(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"a.aspx", `<% x = "\u0065\x76al"; %>`, `<%x="eval";%>`},
		{"a.asp", `<% x = unescape("%u0065val") %>`, `<%x=unescape("eval")%>`},
		{"a.asp", `<% x = "&#101;&#x76;al" %>`, `<%x="eval"%>`},
		{"a.aspx", `<% x = "a\"b"; %>`, `<%x="a"b";%>`},
	}
	for _, c := range cases {
		if got := view(c.name, c.src); got != c.want {
			t.Errorf("%s %q:\n got %q\nwant %q", c.name, c.src, got, c.want)
		}
	}
}

func TestWhitespaceCollapsed(t *testing.T) {
	got := view("a.aspx", "<html>\r\n\t<body>  x\n\n</body><%  Process . Start ( \"cmd\" ,\n  a ) ;\n  var  y = 1; %></html>")
	want := `<html> <body> x </body><%Process.Start("cmd",a);var y=1;%></html>`
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestEncodings(t *testing.T) {
	src := `<%@ Page Language="C#" %><% eval(Request["x"]); %>`
	want := view("a.aspx", src)
	u16 := func(s string, bom, be bool) []byte {
		var out []byte
		if bom {
			if be {
				out = append(out, 0xfe, 0xff)
			} else {
				out = append(out, 0xff, 0xfe)
			}
		}
		for _, u := range utf16.Encode([]rune(s)) {
			if be {
				out = append(out, byte(u>>8), byte(u))
			} else {
				out = append(out, byte(u), byte(u>>8))
			}
		}
		return out
	}
	for name, b := range map[string][]byte{
		"utf8-bom":   append([]byte{0xef, 0xbb, 0xbf}, src...),
		"utf16le":    u16(src, true, false),
		"utf16be":    u16(src, true, true),
		"utf16le-no": u16(src, false, false),
		"utf16be-no": u16(src, false, true),
	} {
		if got := string(View("a.aspx", b)); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

func TestCodeFiles(t *testing.T) {
	// A .cs file is code from its first byte; a sample without an
	// extension and without page markers is read as code too.
	for _, name := range []string{"x.cs", "sample"} {
		got := view(name, "using System; // c\nclass A { void F() { var s = \"Sys\" + \"tem\"; } }")
		want := `using System;class A{void F(){var s="System";}}`
		if got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

func TestIsScript(t *testing.T) {
	cases := []struct {
		name string
		data string
		want bool
	}{
		{"a.aspx", "", true},
		{"A.ASP", "x", true},
		{"x.cs", "class A{}", true},
		{"12418.asp.txt", "<%eval request(\"a\")%>", true},
		{"note.txt", "hello", false},
		{"app.js", "var x = '<%';", false},
		{"lib.dll", "MZ\x00\x00<%", false},
		{"handler", "<script runat=\"server\">", true},
	}
	for _, c := range cases {
		if got := IsScript(c.name, []byte(c.data)); got != c.want {
			t.Errorf("IsScript(%q, %q) = %v, want %v", c.name, c.data, got, c.want)
		}
	}
}

func TestBounded(t *testing.T) {
	big := bytes.Repeat([]byte("<% x = \"a\" & Chr(98) ' c\n %>"), MaxInput/8)
	got := View("a.asp", big)
	if len(got) > MaxInput*3/2 {
		t.Errorf("view of %d bytes is %d bytes", len(big), len(got))
	}
	// An unterminated comment or literal does not loop or grow.
	for _, s := range []string{"<% /* ", "<% \"abc", "<%-- x", "<script runat=server>", "<% x = \"a\" & "} {
		if got := View("a.aspx", []byte(s+strings.Repeat("y ", 1000))); len(got) > len(s)+2000 {
			t.Errorf("%q: view grew to %d", s, len(got))
		}
	}
}

func TestDeterministic(t *testing.T) {
	src := []byte("<% Execute(Chr(101) & \"val\" ' x\n) %><p>  a  </p>")
	a := View("a.asp", src)
	for i := 0; i < 3; i++ {
		if b := View("a.asp", src); !bytes.Equal(a, b) {
			t.Fatalf("run %d differs: %q vs %q", i, a, b)
		}
	}
}

func FuzzView(f *testing.F) {
	for _, s := range []string{
		"<%eval request(\"a\")%>",
		"<% Execute(ChrW(&H65) & \"v\" & _\n \"al\") ' c %>",
		"<%@ Page Language=\"C#\" %><script runat=server>eval(String.fromCharCode(82,101))/* x */</script>",
		"\xff\xfe<\x00%\x00",
		"<% x = \"\\u00\" + '\\x4' + \"%u12\" + \"&#x1;\" %>",
		"<%#@~^CAAAAA==@!@*@$@&\xd6\x40Dbx0AAA==^#~@%><%#@~^AAAAAA==^#~@",
	} {
		f.Add("a.asp", []byte(s))
		f.Add("a.cs", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		v := View(name, data)
		in := min(len(data), MaxInput)
		if len(v) > in*3/2+8 {
			t.Fatalf("view of %d bytes is %d bytes", in, len(v))
		}
		if w := View(name, data); !bytes.Equal(v, w) {
			t.Fatal("not deterministic")
		}
		_ = IsScript(name, data)
	})
}

func BenchmarkView(b *testing.B) {
	var page bytes.Buffer
	for page.Len() < 256<<10 {
		page.WriteString("<div class=\"row\"><asp:Label runat=\"server\" ID=\"lbl\" Text=\"Name\" /></div>\r\n")
		page.WriteString("<% ' render the row\r\n If Request(\"id\") <> \"\" Then Response.Write(\"<td>\" & Server.HTMLEncode(rs(\"name\")) & \"</td>\") %>\r\n")
		page.WriteString("<script runat=\"server\" language=\"C#\">/* handler */ void F() { var s = \"a\" + \"b\"; // x\n }</script>\r\n")
	}
	data := page.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		View("a.aspx", data)
	}
}
