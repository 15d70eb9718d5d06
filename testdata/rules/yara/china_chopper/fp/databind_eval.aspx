<%@ Page Language="C#" %>
<asp:Repeater ID="items" runat="server">
  <ItemTemplate><a href="item.aspx?id=<%# Eval("Id") %>&ret=<%= Request.QueryString["page"] %>"><%# Eval("Title") %></a></ItemTemplate>
</asp:Repeater>
