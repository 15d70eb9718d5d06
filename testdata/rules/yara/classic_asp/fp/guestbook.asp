<%
Dim fso, log, msg
msg = Server.HTMLEncode(Left(Request.Form("msg"), 500))
If msg <> "" Then
  Set fso = Server.CreateObject("Scripting.FileSystemObject")
  Set log = fso.OpenTextFile(Server.MapPath("/App_Data/guestbook.txt"), 8, True)
  log.WriteLine Now() & vbTab & msg
  log.Close
End If
%>
<form method="post"><textarea name="msg"></textarea><input type="submit" value="Sign"></form>
