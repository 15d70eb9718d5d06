<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="Status.aspx.cs" Inherits="Portal.Status" %>
<!DOCTYPE html>
<html>
<head runat="server">
    <title>Status</title>
    <script type="text/javascript">
        function refresh() {
            var request = new XMLHttpRequest();
            request.open("GET", "status.ashx?id=<%= Request.QueryString["id"] %>", true);
            request.onload = function () {
                var data = eval("(" + request.responseText + ")");
                document.getElementById("state").innerText = data.state;
            };
            request.send();
        }
    </script>
</head>
<body onload="refresh()">
    <form id="form1" runat="server"><span id="state"></span></form>
</body>
</html>
