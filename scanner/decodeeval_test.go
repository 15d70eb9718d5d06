package scanner

import "testing"

func TestDecodeEvalTrait(t *testing.T) {
	cases := []struct {
		name, view string
		want       bool
	}{
		{"VBScript decoder", `<%Execute Unhide("%70%71")Function Unhide(s):a=Split(s,"%"):For i=1 To UBound(a):Unhide=Unhide&Chr(a(i)-1):Next:End Function%>`, true},
		{"reversed text", `<%Function R(ByVal c)R=StrReverse(c)End Function ExecuteGlobal(R(")""x""(tseuqer lave"))%>`, true},
		{"JScript wrapper around eval", `<script runat="server">function run(s){return eval(s,"unsafe");}function d(s){var o="";for(var i=0;i<s.length;i++)o+=String.fromCharCode(s.charCodeAt(i)-1);return o;}</script><%run(d("fwbm"))%>`, true},
		// Execute of a function that does not decode characters.
		{"template renderer", `<%Function Render(t)Render=Replace(t,"{x}",x)End Function Execute Render(tpl)%>`, false},
		// A decoder whose output is only written out.
		{"decoded text written", `<%Function D(s)D=Chr(Asc(s)+1)End Function Response.Write D("a")%>`, false},
		{"no functions", `<%Execute(Chr(65))%>`, false},
	}
	for _, c := range cases {
		_, got := decodeEvalTrait([]byte(c.view))
		if got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
