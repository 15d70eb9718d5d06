<!--#include virtual="/inc/conn.asp"-->
<%
Dim rs, sql, region
region = Replace(Request.QueryString("region"), "'", "''")
sql = "SELECT id, total FROM orders WHERE region = '" & region & "'"
Set rs = conn.Execute(sql)
Do While Not rs.EOF
  Response.Write rs("id") & ": " & FormatCurrency(rs("total")) & "<br>"
  rs.MoveNext
Loop
rs.Close
%>
