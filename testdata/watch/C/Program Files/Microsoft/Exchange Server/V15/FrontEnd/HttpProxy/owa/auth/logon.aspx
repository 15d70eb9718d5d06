<%@ Page Language="C#" %>
<html><body>Outlook sign-in</body></html>
