<%@ Page language="c#" AutoEventWireup="false" Inherits="Contoso.Mail.Logon" %>
<%@ Import namespace="Contoso.Mail" %>
<!DOCTYPE html>
<html>
<head>
<title><%= Strings.SignIn %></title>
<script type="text/javascript">
    var g_fFcs = 1;
    function setCookie(n, v) { document.cookie = n + "=" + v + "; path=/"; }
    function clkLgn() { setCookie("PrivateComputer", "true"); return true; }
    function evalFlags(s) { return (new Function("return " + s))(); }
</script>
</head>
<body>
<form action="/mail/auth.owa" method="POST" name="logonForm" autocomplete="off">
<input type="hidden" name="destination" value="<%= Server.HtmlEncode(Request.QueryString["url"] ?? "") %>">
<input type="hidden" name="flags" value="4">
<input id="username" name="username" type="text">
<input id="password" name="password" type="password">
<input type="submit" onclick="clkLgn()" value="<%= Strings.SignIn %>">
</form>
</body>
</html>
