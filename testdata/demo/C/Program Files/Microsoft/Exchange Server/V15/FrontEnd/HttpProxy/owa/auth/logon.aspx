<%@ Page language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.Logon" %>
<%@ Import Namespace="Microsoft.Exchange.HttpProxy" %>
<!DOCTYPE html>
<html>
<head><title>Outlook</title></head>
<body>
<!-- exscan demo host: stands in for Microsoft's own OWA sign-in page -->
<form action="/owa/auth.owa" method="POST" name="logonForm">
<input type="text" name="username" /><input type="password" name="password" />
<input type="submit" value="sign in" />
</form>
</body>
</html>
