<%@ Page Language="C#" MasterPageFile="~/Properties.Master" Inherits="Contoso.Admin.VirtualDirectoryProperties" %>
<%@ Register TagPrefix="adm" Namespace="Contoso.Admin.Controls" Assembly="Contoso.Admin" %>
<asp:Content ID="body" ContentPlaceHolderID="content" runat="server">
  <adm:Section ID="general" runat="server" Title="General">
    <adm:TextField ID="InternalUrl" runat="server" Label="Internal URL:" Placeholder="https://mail.corp.example/OAB" />
    <adm:TextField ID="ExternalUrl" runat="server" Label="External URL:" Placeholder="https://mail.corp.example/OAB" />
    <adm:CheckBoxField ID="RequireSSL" runat="server" Label="Require SSL" />
    <adm:NumberField ID="PollInterval" runat="server" Label="Polling interval (minutes):" />
  </adm:Section>
  <adm:Section ID="auth" runat="server" Title="Authentication">
    <adm:CheckBoxListField ID="InternalAuthenticationMethods" runat="server" Label="Internal authentication methods" />
    <adm:CheckBoxListField ID="ExternalAuthenticationMethods" runat="server" Label="External authentication methods" />
    <adm:CheckBoxField ID="BasicAuthentication" runat="server" Label="Basic authentication" />
    <adm:CheckBoxField ID="WindowsAuthentication" runat="server" Label="Integrated Windows authentication" />
  </adm:Section>
  <script type="text/javascript">
    function validateUrl(v) { return /^https?:\/\/[^<>]+$/.test(v); }
  </script>
</asp:Content>
