<%@ Page Language="C#" MasterPageFile="~/Site.master" CodeBehind="Search.aspx.cs" Inherits="Shop.Search" %>
<asp:Content ContentPlaceHolderID="main" runat="server">
<p>Results for <%= Server.HtmlEncode(Request.QueryString["q"] ?? "") %></p>
<script type="text/javascript">
  var cfg = eval("(" + document.getElementById("cfg").value + ")");
</script>
</asp:Content>
