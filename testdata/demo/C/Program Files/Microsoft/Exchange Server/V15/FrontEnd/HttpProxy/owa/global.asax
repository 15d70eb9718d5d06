<%@ Application Inherits="Microsoft.Exchange.HttpProxy.Global" Language="C#" %>
