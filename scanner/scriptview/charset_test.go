package scriptview

import (
	"bytes"
	"strings"
	"testing"
)

// "文件管理" (file manager) and "命令" (command) in GBK.
const (
	gbkFileManager = "\xce\xc4\xbc\xfe\xb9\xdc\xc0\xed"
	gbkCommand     = "\xc3\xfc\xc1\xee"
)

func TestFromGBK(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"declared by code page", `<%@ CodePage = 936 %><title>` + gbkCommand + `</title>`, `<%@ CodePage = 936 %><title>命令</title>`},
		{"declared by charset", `<meta charset="GB2312"><b>` + gbkCommand + `</b>`, `<meta charset="GB2312"><b>命令</b>`},
		{"recognised", `<title>` + gbkFileManager + `</title><b>` + gbkCommand + `</b>`, `<title>文件管理</title><b>命令</b>`},
		// A GBK character whose second byte is '\' ("乗" 0x81 0x5c)
		// under a declaration.
		{"ascii second byte", "<%@ codepage=936 %>\x81\x5c" + gbkCommand, "<%@ codepage=936 %>乗命令"},
		// UTF-8 stays as it is.
		{"utf-8", "<title>文件管理</title>", "<title>文件管理</title>"},
		// Latin-1 accents are not GBK, nor is a page declaring another
		// code page.
		{"latin-1", "<p>caf\xe9 cr\xe8me br\xfbl\xe9e na\xefve d\xe9j\xe0 vu \xe9t\xe9</p>", "<p>caf\xe9 cr\xe8me br\xfbl\xe9e na\xefve d\xe9j\xe0 vu \xe9t\xe9</p>"},
		{"other code page", "<%@ CodePage=950 %>" + gbkFileManager + gbkCommand, "<%@ CodePage=950 %>" + gbkFileManager + gbkCommand},
		// Too few pairs to tell without a declaration.
		{"too little", "<b>" + gbkCommand + "</b>", "<b>" + gbkCommand + "</b>"},
	}
	for _, c := range cases {
		if got := string(FromGBK([]byte(c.in))); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestFromGBKBounded(t *testing.T) {
	// Under a declaration, bytes that are not GBK do not make the text
	// grow past 1.5 times.
	in := []byte("<%@ codepage=936 %>" + strings.Repeat("\xff", 4096))
	if got := FromGBK(in); len(got) > len(in)*3/2 {
		t.Errorf("%d bytes grew to %d", len(in), len(got))
	}
	in = bytes.Repeat([]byte(gbkFileManager), 10000)
	if got := FromGBK(in); len(got) > len(in)*3/2 || !bytes.HasPrefix(got, []byte("文件管理")) {
		t.Errorf("%d bytes of GBK became %d bytes: %q...", len(in), len(got), got[:min(len(got), 24)])
	}
}

func TestViewReadsGBK(t *testing.T) {
	src := "<%@ LANGUAGE=\"VBSCRIPT\" CODEPAGE=\"936\" %><title>" + gbkFileManager + "</title><% x = \"" + gbkCommand + "\" & \"cmd\" %>"
	if got, want := view("a.asp", src), `<%@LANGUAGE="VBSCRIPT"CODEPAGE="936"%><title>文件管理</title><%x="命令cmd"%>`; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
