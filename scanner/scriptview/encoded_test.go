package scriptview

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// encodeScript is a Script Encoder written from the format (the inverse of
// encDecode): it encodes plain the way screnc.exe lays a block out. With
// dbcs, a byte above 0x7f and the byte after it are one character, kept
// as they are.
func encodeScript(t *testing.T, plain []byte, dbcs bool) []byte {
	t.Helper()
	var enc [3][128]byte
	for c := 0; c < 128; c++ {
		if !encodable(byte(c)) {
			continue
		}
		for col := 0; col < 3; col++ {
			enc[col][encDecode[c][col]] = byte(c)
		}
	}
	var body []byte
	var sum uint32
	pos := 0
	for i := 0; i < len(plain); i++ {
		c := plain[i]
		if c >= 0x80 {
			body = append(body, c)
			if dbcs && i+1 < len(plain) {
				i++
				body = append(body, plain[i])
			}
			continue
		}
		sum += uint32(c)
		switch c {
		case '\n':
			body = append(body, '@', '&')
		case '\r':
			body = append(body, '@', '#')
		case '>':
			body = append(body, '@', '*')
		case '<':
			body = append(body, '@', '!')
		case '@':
			body = append(body, '@', '$')
		default:
			if encodable(c) {
				c = enc[encPattern[pos%64]][c]
			}
			body = append(body, c)
		}
		pos++
	}
	word := func(v uint32) string {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], v)
		return base64.StdEncoding.EncodeToString(b[:])
	}
	return []byte("#@~^" + word(uint32(len(body))) + string(body) + word(sum) + "^#~@")
}

func TestEncodeTableIsPermutation(t *testing.T) {
	for col := 0; col < 3; col++ {
		seen := map[byte]byte{}
		n := 0
		for c := 0; c < 128; c++ {
			if !encodable(byte(c)) {
				continue
			}
			n++
			p := encDecode[c][col]
			if !encodable(p) {
				t.Errorf("column %d: %#x decodes to %#x, not an encodable character", col, c, p)
			}
			if prev, dup := seen[p]; dup {
				t.Errorf("column %d: %#x and %#x both decode to %#x", col, prev, c, p)
			}
			seen[p] = byte(c)
		}
		if n != 94 || len(seen) != 94 {
			t.Errorf("column %d: %d encodable characters, %d decoded values; want 94", col, n, len(seen))
		}
	}
}

func TestDecodeEncodedRoundTrip(t *testing.T) {
	plains := []string{
		`Execute Request("x")`,
		"Set s = Server.CreateObject(\"WScript.Shell\")\r\nResponse.Write \"<pre>\" & s.Exec(\"cmd /c \" & Request(\"c\")).StdOut.ReadAll & \"</pre>\" ' a@b\n\tEnd If",
		// Every encodable character, at every position of the pattern.
		strings.Repeat(func() string {
			var b strings.Builder
			for c := 0; c < 128; c++ {
				if encodable(byte(c)) {
					b.WriteByte(byte(c))
				}
			}
			return b.String()
		}(), 3),
	}
	for _, p := range plains {
		block := encodeScript(t, []byte(p), false)
		if bytes.Contains(block, []byte("Request")) || bytes.Contains(block, []byte("\n")) {
			t.Fatalf("encoder left plain text in %q", block)
		}
		got := DecodeEncoded(append([]byte("<%@ Language=VBScript.Encode %><%"), append(block, "%>"...)...))
		want := "<%@ Language=VBScript.Encode %><%" + string(block[:12]) + "\n" + p + "%>"
		if string(got) != want {
			t.Errorf("decoded\n %q\nwant\n %q", got, want)
		}
	}
}

func TestDecodeEncodedDoubleByte(t *testing.T) {
	// GBK text whose second bytes are ASCII ('\\' 0x5c, '@' 0x40): the
	// checksum tells the double-byte reading from the single-byte one.
	plain := []byte("Response.Write \"\xd6\xd0\x81\x5c\x81\x40\"\r\nExecute Request(\"a\")")
	block := encodeScript(t, plain, true)
	got := DecodeEncoded(block)
	if want := string(block[:12]) + "\n" + string(plain); string(got) != want {
		t.Errorf("double-byte block decoded to\n %q\nwant\n %q", got, want)
	}
	// Latin-1 text (one byte per character) encoded without double bytes.
	plain = []byte("x = \"caf\xe9 au lait\" : Execute Request(\"a\")")
	block = encodeScript(t, plain, false)
	if got, want := string(DecodeEncoded(block)), string(block[:12])+"\n"+string(plain); got != want {
		t.Errorf("single-byte block decoded to\n %q\nwant\n %q", got, want)
	}
}

func TestDecodeEncodedDamaged(t *testing.T) {
	block := encodeScript(t, []byte(`Execute Request("x")`), false)
	// A wrong checksum still decodes (the code is what matters here).
	bad := bytes.Clone(block)
	copy(bad[len(bad)-12:], "AAAAAA==")
	if got := DecodeEncoded(bad); !bytes.Contains(got, []byte(`Execute Request("x")`)) {
		t.Errorf("block with a wrong checksum decoded to %q", got)
	}
	// Without its end marker, or with a malformed length, it is not a
	// block: left as it is.
	for _, s := range [][]byte{block[:len(block)-4], append([]byte("#@~^AA!AAA=="), block[12:]...), []byte("#@~^"), []byte("x#@~^AAAAAA==^#~@")} {
		if got := DecodeEncoded(s); !bytes.Equal(got, s) {
			t.Errorf("%q changed to %q", s, got)
		}
	}
	// Plain text is returned as it is, not copied.
	plain := []byte("<% Response.Write 1 %>")
	if got := DecodeEncoded(plain); &got[0] != &plain[0] {
		t.Error("text without a block was copied")
	}
}

func TestViewDecodesEncodedScript(t *testing.T) {
	block := encodeScript(t, []byte("\r\nREM hidden\r\nExecute(Request(\"x\"))\r\n"), false)
	page := "<%@ LANGUAGE = VBScript.Encode %><html><%" + string(block) + "%></html>"
	got := view("a.asp", page)
	if !strings.Contains(got, `Execute(Request("x"))`) || strings.Contains(got, "hidden") {
		t.Errorf("view of an encoded page: %q", got)
	}
	if !strings.Contains(got, string(block[:12])) {
		t.Errorf("view lost the block's start marker: %q", got)
	}
}

// TestDecodeEncodedCorpus decodes the Script Encoder blocks of the
// research corpus: every block's checksum must match one of the two
// readings (a wrong table entry or pattern position breaks them all).
func TestDecodeEncodedCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "webshells")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("no webshell corpus at %s", root)
	}
	blocks := 0
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(data, []byte(encStart)) {
			return err
		}
		for rest := data; ; {
			i := bytes.Index(rest, []byte(encStart))
			if i < 0 {
				break
			}
			body, n, ok := encBlock(rest[i:])
			if !ok {
				rest = rest[i+len(encStart):]
				continue
			}
			blocks++
			_, a := decodeText(nil, body.text, true)
			_, b := decodeText(nil, body.text, false)
			if a != body.sum && b != body.sum {
				t.Errorf("%s: block at %d: checksum %#x, decoded %#x / %#x", p, len(data)-len(rest)+i, body.sum, a, b)
			}
			rest = rest[i+n:]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if blocks == 0 {
		t.Skip("no Script Encoder blocks in the corpus")
	}
	t.Logf("%d blocks", blocks)
}
