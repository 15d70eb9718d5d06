<%@ Page language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.RedirSuiteServiceProxy" %>
<!-- exscan demo host: stands in for Microsoft's own redirect page -->
<html><body>Redirecting...</body></html>
