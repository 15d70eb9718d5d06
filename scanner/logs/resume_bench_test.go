package logs

import (
	"bytes"
	"testing"
)

// BenchmarkResumeTail: one poll of a followed IIS log that grew by one
// line: Resume at the checkpoint, read the line.
func BenchmarkResumeTail(b *testing.B) {
	data := benchIIS(20000)
	cp := Checkpoint{Offset: int64(bytes.LastIndexByte(data[:len(data)-1], '\n') + 1)}
	rd, err := Resume(bytes.NewReader(data), cp.Offset, "W3SVC1/u_ex210303.log", Checkpoint{Offset: 0}, ResumeOptions{Tail: true})
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := rd.Next(); err != nil {
			break
		}
	}
	cp = rd.Checkpoint()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rd, err := Resume(bytes.NewReader(data), int64(len(data)), "W3SVC1/u_ex210303.log", cp, ResumeOptions{Tail: true})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := rd.Next(); err != nil {
				break
			}
			n++
		}
		if n != 1 {
			b.Fatalf("%d records", n)
		}
	}
}
