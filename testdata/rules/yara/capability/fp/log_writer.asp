<%
Dim fso, logf, entry
entry = Server.HTMLEncode(Left(Request.Form("comment"), 400))
If entry <> "" Then
  Set fso = Server.CreateObject("Scripting.FileSystemObject")
  Set logf = fso.OpenTextFile(Server.MapPath("/App_Data/comments.txt"), 8, True)
  logf.WriteLine Now() & vbTab & entry
  logf.Close
End If
%>
<form method="post"><textarea name="comment"></textarea><input type="submit"></form>
