<%@ Page Language="C#" AutoEventWireup="true" Inherits="Contoso.Mail.ErrorFE" EnableViewState="false" %>
<%@ Import Namespace="System.Web" %>
<!DOCTYPE html>
<html><head><title>Error</title>
<script type="text/javascript">
function expand() { var d = document.getElementById("details"); d.style.display = d.style.display == "none" ? "" : "none"; }
</script></head>
<body>
<div><%= HttpUtility.HtmlEncode(Request.QueryString["msg"] ?? "Something went wrong") %></div>
<div id="details" style="display:none">X-ClientId: <%= HttpUtility.HtmlEncode(Request.Headers["X-ClientId"] ?? "") %>; request-id <%= Context.Items["RequestId"] %></div>
<a href="#" onclick="expand()">more details</a>
</body></html>
