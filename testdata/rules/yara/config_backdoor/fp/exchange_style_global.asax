<%@ Application Language="C#" Inherits="Contoso.Mail.HttpProxy.Global" %>
