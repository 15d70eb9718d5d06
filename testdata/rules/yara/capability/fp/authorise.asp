<!--#include file="inc/db.asp"-->
<%
Dim user, pass, rs, cmd
user = Trim(Request.Form("user"))
pass = Trim(Request.Form("pass"))
If user <> "" Then
  Set cmd = Server.CreateObject("ADODB.Command")
  cmd.ActiveConnection = conn
  cmd.CommandText = "SELECT id, role FROM users WHERE name = ? AND pwhash = ?"
  Set rs = cmd.Execute(, Array(user, HashPassword(pass)))
  If Not rs.EOF Then
    Session("UserID") = rs("id")
    Session("Role") = rs("role")
    Response.Redirect "default.asp"
  End If
End If
%>
<form method="post"><input name="user"><input name="pass" type="password"><input type="submit" value="Sign in"></form>
