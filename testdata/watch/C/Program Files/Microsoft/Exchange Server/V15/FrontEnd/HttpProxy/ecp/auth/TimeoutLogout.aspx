<%@ Page Language="C#" %>
<html><body>ECP sign-in</body></html>
