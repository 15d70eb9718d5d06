<%@ Page language="c#" AutoEventWireup="true" Inherits="Microsoft.Exchange.HttpProxy.TimeoutLogoutPage" %>
<!-- exscan demo host: stands in for Microsoft's own ECP time-out page -->
<html><body><script type="text/javascript">window.location.href = "/ecp/";</script></body></html>
